# Deliberate gap: the reconcile job's image never drops root.
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY reconcile.py .
CMD ["python", "reconcile.py"]
