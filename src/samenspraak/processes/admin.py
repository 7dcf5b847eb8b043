from django.contrib import admin

from samenspraak.processes.models import (
    BandwidthYear,
    District,
    Framework,
    MandatoryAspect,
    Municipality,
    Phase,
    Process,
    Theme,
)


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code"]
    inlines = [DistrictInline]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "status", "owner"]
    list_filter = ["status", "municipality"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PhaseInline, ThemeInline]


class BandwidthYearInline(admin.TabularInline):
    model = BandwidthYear
    extra = 0


class AspectInline(admin.TabularInline):
    model = MandatoryAspect
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["process", "bandwidth_kind", "decision_deadline"]
    inlines = [BandwidthYearInline, AspectInline]
