"""Guangzhou's predicates: none. What the report says of Guangzhou is figures and a description.

The 2.6亿, the 132 centres and the private agencies running the street centres bind no single
purchase (the last is the catalogue's «info (descriptive)»: it says who runs the centres, not who may),
so no Guangzhou rule is checked against a case. A Guangzhou case is still checked: by the Guangdong
layer under it (the annual catalogue) and the national layer.
"""
