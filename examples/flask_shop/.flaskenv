FLASK_APP=shop:create_app
