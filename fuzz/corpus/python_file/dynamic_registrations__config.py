import os


class Config:
    SECRET_KEY = "dev"
    API_PREFIX = "/api/v1"
    # Set at deploy time; off unless the environment says otherwise.
    FEATURE_BETA = os.environ.get("FEATURE_BETA") == "1"
