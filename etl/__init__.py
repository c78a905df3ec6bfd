"""labourdash ETL: SCB PxWebApi 2.0 and Kolada v3 into a DuckDB warehouse."""
