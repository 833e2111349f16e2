from flask import abort, current_app, g, render_template, request

from ..extensions import db
from ..models import Category, Product, Tag
from ..orders.forms import AddToCartForm
from . import bp
from .forms import SearchForm


@bp.before_app_request
def attach_search_form():
    g.search_form = SearchForm()


@bp.app_context_processor
def inject_categories():
    categories = db.session.scalars(db.select(Category).order_by(Category.name)).all()
    return {"nav_categories": categories}


@bp.route("/", defaults={"page": 1})
@bp.route("/page/<int:page>")
def index(page):
    query = (
        db.select(Product).filter_by(is_active=True).order_by(Product.created_at.desc())
    )
    pagination = db.paginate(
        query,
        page=page,
        per_page=current_app.config["PRODUCTS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "catalog/index.html",
        products=pagination.items,
        pagination=pagination,
    )


@bp.route("/category/<slug>/")
def category(slug):
    category = db.first_or_404(db.select(Category).filter_by(slug=slug))
    page = request.args.get("page", 1, type=int)
    pagination = (
        Product.query.filter_by(category_id=category.id, is_active=True)
        .order_by(Product.name)
        .paginate(
            page=page, per_page=current_app.config["PRODUCTS_PER_PAGE"], error_out=False
        )
    )
    return render_template(
        "catalog/category.html",
        title=category.name,
        category=category,
        products=pagination.items,
        pagination=pagination,
    )


@bp.route("/products/<slug>")
def product(slug):
    product = Product.query.filter_by(slug=slug).first_or_404()
    if not product.is_active:
        abort(404)
    form = AddToCartForm()
    related = (
        Product.query.filter(
            Product.category_id == product.category_id, Product.id != product.id
        )
        .limit(4)
        .all()
    )
    return render_template(
        "catalog/product.html",
        title=product.name,
        product=product,
        form=form,
        related=related,
    )


@bp.route("/tags/<name>")
def tag(name):
    tag = Tag.query.filter_by(name=name).first_or_404()
    products = tag.products.filter_by(is_active=True).order_by(Product.name).all()
    return render_template(
        "catalog/tag.html", title=f"#{tag.name}", tag=tag, products=products
    )


@bp.route("/search")
def search():
    if not g.search_form.validate():
        return render_template(
            "catalog/search.html", title="Search", products=[], query=""
        )
    query = g.search_form.q.data
    pattern = f"%{query}%"
    products = db.session.scalars(
        db.select(Product)
        .filter(Product.is_active.is_(True))
        .filter(Product.name.ilike(pattern) | Product.description.ilike(pattern))
        .order_by(Product.name)
        .limit(50)
    ).all()
    return render_template(
        "catalog/search.html", title="Search", products=products, query=query
    )


@bp.route("/about")
def about():
    return render_template("catalog/about.html", title="About")
