from django.urls import path

from .views import learners, office, series

urlpatterns = [
    path("parents/<int:parent_id>/pars/", series.parent_pars, name="parent_pars"),
    path("parents/<int:parent_id>/pars/lock/", series.parent_pars_lock, name="parent_pars_lock"),
    path("account/identifiers/", learners.my_identifiers, name="my_identifiers"),
    path("office/pars/", office.pars_home, name="pars_home"),
    path("office/pars/<int:year>/", office.pars_year, name="pars_year"),
    path(
        "office/pars/<int:year>/activities.xlsx",
        office.pars_activities_xlsx,
        name="pars_activities_xlsx",
    ),
    path(
        "office/pars/<int:year>/activities.txt",
        office.pars_activities_txt,
        name="pars_activities_txt",
    ),
    path("office/pars/<int:year>/learners/", learners.pars_learners, name="pars_learners"),
    path("office/pars/<int:year>/summary/", office.pars_summary, name="pars_summary"),
    path("office/pars/<int:year>/checklist/", office.pars_checklist, name="pars_checklist"),
    path(
        "office/pars/learner-files/<int:export_id>.xlsx",
        learners.pars_batch_xlsx,
        name="pars_batch_xlsx",
    ),
    path(
        "office/pars/learner-files/<int:export_id>.txt",
        learners.pars_batch_txt,
        name="pars_batch_txt",
    ),
    path("office/pars/answers/", learners.pars_answers, name="pars_answers"),
    path(
        "office/pars/answers/<int:record_id>/resolve/",
        learners.pars_answer_resolve,
        name="pars_answer_resolve",
    ),
    path(
        "office/pars/learners/<int:person_id>/identifiers/",
        learners.pars_learner_identifiers,
        name="pars_learner_identifiers",
    ),
]
