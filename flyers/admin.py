from django.contrib import admin

from .models import FlyerStatements


@admin.register(FlyerStatements)
class FlyerStatementsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not FlyerStatements.objects.exists()
