"""Database adapters: engine, models, migrations, unit of work."""
