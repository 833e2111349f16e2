from .post import Comment, Post
from .user import Follow, User

__all__ = ["Comment", "Follow", "Post", "User"]
