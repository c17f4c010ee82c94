import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
application = get_wsgi_application()
# Everything loaded so far (Django, the apps, the URL configuration) lives as long as the
# process: move it out of the garbage collector's generations, so that each collection
# walks only the objects requests create (fewer, shorter pauses per request).
gc.freeze()
