from django.contrib import admin

from .models import OfficeProfile


@admin.register(OfficeProfile)
class OfficeProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "head_name"]
