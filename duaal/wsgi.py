import os

from django.core.wsgi import get_wsgi_application

from duaal import gc_tuning

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duaal.settings")

application = get_wsgi_application()
gc_tuning.tune()
