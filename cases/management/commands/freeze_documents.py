"""Freeze now the decrees and apology letters issued before Pulih stored issued documents.

Each would otherwise be frozen at its first download; run this once right after `migrate` so
that none is rendered from catalogues edited in between. Safe to run again.
"""

from django.core.management.base import BaseCommand

from cases import issuing
from cases.models import Compensation, Decree, DocumentKind, IssuedDocument


class Command(BaseCommand):
    help = "Store the PDF of every decree and apology letter not stored yet."

    def handle(self, *args, **options):
        frozen = IssuedDocument.objects.filter(kind=DocumentKind.DECREE).values("case")
        decrees = list(Decree.objects.exclude(case__in=frozen).select_related("case__unit"))
        for decree in decrees:
            issuing.decree_document(decree)
        frozen = IssuedDocument.objects.filter(kind=DocumentKind.APOLOGY).values("case")
        letters = list(Compensation.objects.exclude(case__in=frozen).select_related("case__unit"))
        for compensation in letters:
            issuing.apology_document(compensation)
        self.stdout.write(f"{len(decrees)} decrees, {len(letters)} apology letters frozen.")
