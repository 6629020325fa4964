"""A pack with a misspelled hook name: check_pending() must refuse it."""

from socialwork_procurement import hookimpl


class Misspelled:
    @hookimpl
    def swp_rule(self) -> list[object]:  # the hook is swp_rules
        return []


pack = Misspelled()
