"""Importers: turn outside data (Krefeld open data) into directory records."""
