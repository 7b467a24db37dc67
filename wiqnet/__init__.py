"""wiqnet: referral directory and cooperation network for WiQ – Wir im Quartier, Krefeld."""

__version__ = "0.1.0"
