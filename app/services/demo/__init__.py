"""The demo warehouse of ``packdesk demo-data``, generated as rows (see app.services.demo_data)."""
