"""A module exposing one RulePack, named by its entry point without an attribute (``swp_test_pack.modland``)."""

from socialwork_procurement import Region, RulePack

from . import SOURCE

PACK = RulePack(region=Region(code="modland", name_zh="模块地区", name_en="Modland", sources=(SOURCE,)))
