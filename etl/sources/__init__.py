"""HTTP clients for the statistics APIs: SCB PxWebApi 2.0 and Kolada v3 (no parsing here)."""
