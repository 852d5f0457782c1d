# One image for every process of the production stack (docker-compose.yml): gunicorn, the Celery
# worker and Celery beat run the same code with different commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    VAR_DIR=/var/lib/rss
WORKDIR /app

# DejaVu fonts: certificates print learners' names in any Latin, Greek or Cyrillic script.
# SAML sign-in (pysaml2) signs and checks XML with the xmlsec1 program.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core xmlsec1 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (their layer is rebuilt only when the lock changes): the exact versions of
# requirements.lock, each checked against its hash, nothing else (`make lock` refreshes it from
# pyproject.toml). The project itself is not pip-installed: it runs from /app, where its templates
# and static files are.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock

COPY . .

# Static files for production: hashed names and a manifest (DEBUG=0 storage), served by WhiteNoise.
# The secret is a build-time placeholder; the real one comes from the environment at run time.
RUN DEBUG=0 SECRET_KEY=build-time-only-placeholder-not-used-at-run-time-0123456789 \
      python manage.py collectstatic --no-input \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin rss \
    && mkdir -p /var/lib/rss/uploads \
    && chown -R rss /var/lib/rss

USER rss
EXPOSE 8000
CMD ["gunicorn", "rss_dashboard.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "60", "--access-logfile", "-"]
