from decimal import Decimal

import click
from flask.cli import with_appcontext

from .extensions import db
from .models import Category, Product, Tag, User

SAMPLE_CATALOG = {
    ("Coffee", "coffee"): [
        ("Ethiopia Yirgacheffe", "12.50", 40, ["single-origin", "light-roast"]),
        ("Colombia Huila", "11.00", 25, ["single-origin"]),
        ("House Espresso Blend", "9.75", 60, ["espresso", "dark-roast"]),
    ],
    ("Brewing", "brewing"): [
        ("Pour-over Dripper", "24.00", 15, ["filter"]),
        ("Hand Grinder", "59.00", 8, ["grinder"]),
    ],
    ("Cups", "cups"): [
        ("Stoneware Mug", "14.00", 30, []),
    ],
}


def slugify(name):
    return "-".join(name.lower().split())


@click.command("seed-db")
@click.option("--drop", is_flag=True, help="Drop all tables before seeding.")
@with_appcontext
def seed_db_command(drop):
    """Create the tables and fill the catalog with sample products."""
    if drop:
        db.drop_all()
    db.create_all()
    tags = {}
    for (category_name, category_slug), products in SAMPLE_CATALOG.items():
        category = Category(name=category_name, slug=category_slug)
        db.session.add(category)
        for name, price, stock, tag_names in products:
            product = Product(
                name=name,
                slug=slugify(name),
                price=Decimal(price),
                stock=stock,
                category=category,
                description=f"{name}, from our {category_name.lower()} range.",
            )
            for tag_name in tag_names:
                if tag_name not in tags:
                    tags[tag_name] = Tag(name=tag_name)
                product.tags.append(tags[tag_name])
            db.session.add(product)
    db.session.commit()
    products, categories = Product.query.count(), Category.query.count()
    click.echo(f"Seeded {products} products in {categories} categories.")


@click.command("create-admin")
@click.argument("email")
@click.option("--username", default="admin", show_default=True)
@click.password_option()
@with_appcontext
def create_admin_command(email, username, password):
    """Create a shop administrator."""
    user = User(email=email.lower(), username=username, is_admin=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created administrator {user.email}.")


def init_app(app):
    app.cli.add_command(seed_db_command)
    app.cli.add_command(create_admin_command)
