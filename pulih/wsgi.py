import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
application = get_wsgi_application()
# The URL configuration — every view module and all they import (DRF, the PDF and XLSX
# renderers...) — would otherwise be loaded by the first request, after the freeze below:
# load it now, so that it is frozen with the rest.
get_resolver()._populate()
# Everything loaded so far (Django, the apps, the URL configuration) lives as long as the
# process: move it out of the garbage collector's generations, so that each collection
# walks only the objects requests create (fewer, shorter pauses per request).
gc.freeze()
