"""Admin for staff administrators, limited to the schools they administer.

Superusers see everything. A school administrator (a current SchoolRole ADMIN)
sees and manages the people, groups and memberships of their schools only;
nobody gets model-wide permissions on pupil data. Writes are audited by
django-auditlog's middleware, with the administrator as actor.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Enrolment, Guardianship, Organiser, PupilGroup, School, SchoolRole, StaffAssignment, User


def administered_schools(user):
    if not user.is_active or not user.is_staff:
        return School.objects.none()
    return School.objects.filter(
        staff_roles__in=SchoolRole.objects.current().filter(user=user, role=SchoolRole.Role.ADMIN)
    )


def people_of(schools):
    """Everyone connected to these schools, and accounts not yet connected anywhere."""
    return User.objects.filter(
        Q(enrolments__group__school__in=schools)
        | Q(guardianships__pupil__enrolments__group__school__in=schools)
        | Q(staff_assignments__group__school__in=schools)
        | Q(school_roles__school__in=schools)
        | Q(
            enrolments__isnull=True,
            guardianships__isnull=True,
            staff_assignments__isnull=True,
            school_roles__isnull=True,
        )
    ).distinct()


class SchoolScopedAdmin(admin.ModelAdmin):
    """Subclasses say how their rows reach a school with ``school_path``."""

    school_path = "school"
    can_add = True

    def scoped(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.school_path}__in": administered_schools(request.user)}).distinct()

    def get_queryset(self, request):
        return self.scoped(request, super().get_queryset(request))

    def _is_admin(self, request):
        return request.user.is_superuser or administered_schools(request.user).exists()

    def _may(self, request, obj):
        if not self._is_admin(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request):
        return self.can_add and self._is_admin(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            schools = administered_schools(request.user)
            if db_field.related_model is School:
                kwargs["queryset"] = schools
            elif db_field.related_model is PupilGroup:
                kwargs["queryset"] = PupilGroup.objects.filter(school__in=schools)
            elif db_field.related_model is User:
                kwargs["queryset"] = people_of(schools)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organiser)
class OrganiserAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number"]
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    school_path = "pk"
    can_add = False
    list_display = ["name", "organiser", "school_unit_code"]
    search_fields = ["name", "school_unit_code"]

    def scoped(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=administered_schools(request.user))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    fk_name = "group"
    extra = 0
    autocomplete_fields = ["pupil"]


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    autocomplete_fields = ["staff"]


@admin.register(PupilGroup)
class PupilGroupAdmin(SchoolScopedAdmin):
    list_display = ["name", "school", "kind", "school_form", "year_level", "school_year"]
    list_filter = ["school_form", "kind", "school_year"]
    list_select_related = ["school"]
    search_fields = ["name"]
    inlines = [StaffAssignmentInline, EnrolmentInline]

    def get_inline_instances(self, request, obj=None):
        # Memberships are edited on an existing group, whose school is then known.
        return super().get_inline_instances(request, obj) if obj else []


@admin.register(Enrolment)
class EnrolmentAdmin(SchoolScopedAdmin):
    school_path = "group__school"
    list_display = ["pupil", "group", "start_date", "end_date"]
    list_select_related = ["pupil", "group"]
    autocomplete_fields = ["pupil"]
    search_fields = ["pupil__first_name", "pupil__last_name", "group__name"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(SchoolScopedAdmin):
    school_path = "group__school"
    list_display = ["staff", "group", "role", "start_date", "end_date"]
    list_select_related = ["staff", "group"]
    autocomplete_fields = ["staff"]


@admin.register(SchoolRole)
class SchoolRoleAdmin(SchoolScopedAdmin):
    list_display = ["user", "school", "role", "start_date", "end_date"]
    list_select_related = ["user", "school"]
    autocomplete_fields = ["user"]


@admin.register(Guardianship)
class GuardianshipAdmin(SchoolScopedAdmin):
    school_path = "pupil__enrolments__group__school"
    list_display = ["guardian", "pupil", "has_custody", "start_date", "end_date"]
    list_select_related = ["guardian", "pupil"]
    autocomplete_fields = ["guardian", "pupil"]


@admin.register(User)
class UserAdmin(SchoolScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "email", "is_active"]
    list_filter = ["is_active", "protected_identity", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "personnummer", "register_id"]
    ordering = ["last_name", "first_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("From the register"), {"fields": ["first_name", "last_name", "personnummer", "email", "register_id"]}),
        (_("Added by the person"), {"fields": ["preferred_name", "phone"]}),
        (_("Integrity"), {"fields": ["protected_identity"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def scoped(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=people_of(administered_schools(request.user)).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser can hand out administrator rights.
            readonly += ["is_staff", "is_superuser"]
        return readonly
