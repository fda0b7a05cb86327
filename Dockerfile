FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN SELLERCENTER_ENV=production SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0000000000 \
    ALLOWED_HOSTS=build FIELD_ENCRYPTION_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "sellercenter.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
