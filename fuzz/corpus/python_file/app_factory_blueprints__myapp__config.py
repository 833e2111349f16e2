class Config:
    SECRET_KEY = "change-me"
    POSTS_PER_PAGE = 10
