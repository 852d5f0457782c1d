FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/var/lib/rss
WORKDIR /app
COPY pyproject.toml README.md ./
COPY rss_dashboard rss_dashboard
COPY activities activities
COPY faculty faculty
COPY disclosures disclosures
COPY credit credit
COPY flyers flyers
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=1 python manage.py collectstatic --no-input \
    && useradd --system --home /app rss && mkdir -p /var/lib/rss && chown -R rss /var/lib/rss
USER rss
EXPOSE 8000
CMD ["gunicorn", "rss_dashboard.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
