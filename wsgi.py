"""WSGI entry point: `flask --app wsgi run`, `gunicorn wsgi:app`."""

from dotenv import load_dotenv

from eventhub import create_app

load_dotenv()
app = create_app()
