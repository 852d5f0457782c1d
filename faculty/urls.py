from django.urls import path

from .views import manage, people, presentations, requests, sso

urlpatterns = [
    path("children/<int:child_id>/faculty/", manage.manage_faculty, name="manage_faculty"),
    path("children/<int:child_id>/faculty/search/", manage.faculty_search, name="faculty_search"),
    path(
        "children/<int:child_id>/faculty/pick/<int:person_id>/",
        manage.faculty_pick,
        name="faculty_pick",
    ),
    path("children/<int:child_id>/faculty/add/", manage.faculty_add, name="faculty_add"),
    path(
        "children/<int:child_id>/faculty/new-person/",
        manage.faculty_person_new,
        name="faculty_person_new",
    ),
    path("assignments/<int:assignment_id>/remove/", manage.faculty_remove, name="faculty_remove"),
    path(
        "assignments/<int:assignment_id>/presentation/",
        presentations.presentation_form,
        name="presentation_form",
    ),
    path(
        "assignments/<int:assignment_id>/presentation/download/",
        presentations.presentation_download,
        name="presentation_download",
    ),
    path(
        "assignments/<int:assignment_id>/presentation/delete/",
        presentations.presentation_delete,
        name="presentation_delete",
    ),
    path(
        "presentations/upload/<str:token>/",
        presentations.presentation_upload,
        name="presentation_upload",
    ),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path(
        "people/<int:person_id>/request-disclosure/",
        requests.disclosure_request_view,
        name="disclosure_request",
    ),
    # Sign-in through the institution (404 while a method is not configured).
    path("accounts/sso/saml/login/", sso.SamlLogin.as_view(), name="saml_login"),
    path("accounts/sso/saml/acs/", sso.SamlAcs.as_view(), name="saml_acs"),
    path("accounts/sso/saml/metadata/", sso.SamlMetadata.as_view(), name="saml_metadata"),
    path("accounts/sso/oidc/login/", sso.OidcLogin.as_view(), name="oidc_login"),
    path("accounts/sso/oidc/callback/", sso.OidcCallback.as_view(), name="oidc_callback"),
]
