"""HTTP clients for the statistics APIs: SCB PxWebApi 2.0 and Kolada v3 (no parsing here)."""

from etl.sources.http import (
    ClientRequestError,
    FetchResult,
    GoneError,
    HttpFetcher,
    MalformedResponse,
    RateLimitedError,
    RateLimiter,
    ServerError,
    SourceConnectionError,
    SourceError,
    SourceTimeout,
)

__all__ = [
    "ClientRequestError",
    "FetchResult",
    "GoneError",
    "HttpFetcher",
    "MalformedResponse",
    "RateLimitedError",
    "RateLimiter",
    "ServerError",
    "SourceConnectionError",
    "SourceError",
    "SourceTimeout",
]
