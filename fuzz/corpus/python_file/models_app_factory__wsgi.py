from microblog import create_app

app = create_app()
