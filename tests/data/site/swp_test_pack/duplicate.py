"""A pack claiming a region another pack already claims."""

from socialwork_procurement import Region, hookimpl

from . import SOURCE


class Duplicate:
    @hookimpl
    def swp_regions(self) -> list[Region]:
        return [Region(code="testland", name_zh="冒名地区", name_en="Impostor", sources=(SOURCE,))]


pack = Duplicate()
