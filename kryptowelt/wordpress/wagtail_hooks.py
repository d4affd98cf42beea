"""Admin: upload a WordPress export, watch the import run in the background, read its report."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kryptowelt.wordpress.forms import ImportForm
from kryptowelt.wordpress.models import WordPressImport
from kryptowelt.wordpress.report import LIST_TITLES, Report
from kryptowelt.wordpress.tasks import wordpress_import_task

PERMISSION = "wordpress.add_wordpressimport"


class ImportStartView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = PERMISSION
    template_name = "wordpress/admin/import_start.html"
    form_class = ImportForm
    page_title = "WordPress-Import"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = WordPressImport.objects.select_related("started_by")[:20]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        run = WordPressImport.objects.create(
            file=data["file"],
            original_name=data["file"].name[:255],
            dry_run=data["dry_run"],
            fetch_media=data["fetch_media"],
            media_dir=data["media_dir"],
            section_map=data["section_map"],
            default_section=data["default_section"],
            started_by=self.request.user,
        )
        transaction.on_commit(lambda: wordpress_import_task.enqueue(run.pk))
        return redirect("wordpress_import_detail", run.pk)


class ImportDetailView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = PERMISSION
    template_name = "wordpress/admin/import_detail.html"
    page_title = "WordPress-Import"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wordpress_import"), "label": "WordPress-Import"},
            {"url": "", "label": str(self.run)},
        ]

    def get(self, request, *args, pk, **kwargs):
        self.run = get_object_or_404(WordPressImport, pk=pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = Report.from_dict(self.run.report) if self.run.report else None
        header, rows = report.table_rows() if report else ([], [])
        context.update(
            {
                "run": self.run,
                "running": self.run.status
                in {WordPressImport.Status.QUEUED, WordPressImport.Status.RUNNING},
                "report": report,
                "table_header": header,
                "table_rows": rows,
                "summary": report.summary_lines()[len(rows) + 1 :] if report else [],
                "details": _details(report) if report else [],
            }
        )
        return context


def _details(report: Report) -> list[dict]:
    return [
        {
            "title": title,
            "entries": report.details.get(section, []),
            "omitted": report.omitted[section],
        }
        for section, title in LIST_TITLES.items()
        if report.details.get(section)
    ]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("wordpress-import/", ImportStartView.as_view(), name="wordpress_import"),
        path(
            "wordpress-import/<int:pk>/", ImportDetailView.as_view(), name="wordpress_import_detail"
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        "WordPress-Import",
        reverse("wordpress_import"),
        name="wordpress-import",
        icon_name="upload",
        order=900,
    )
