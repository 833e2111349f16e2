SECRET_KEY = "not for you"
