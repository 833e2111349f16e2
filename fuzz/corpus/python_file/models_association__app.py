import os
from datetime import date

from flask import Flask, jsonify, request

from models import Course, Enrollment, Page, Tag, User, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app)


@app.route("/pages/<int:page_id>/tags", methods=["GET", "POST"])
def page_tags(page_id):
    page = db.get_or_404(Page, page_id)
    if request.method == "POST":
        name = request.form["name"]
        tag = db.session.scalar(db.select(Tag).filter_by(name=name)) or Tag(name=name)
        page.tags.append(tag)
        db.session.commit()
    return jsonify(tags=[tag.name for tag in page.tags])


@app.post("/courses/<int:course_id>/enroll/<int:user_id>")
def enroll(course_id, user_id):
    course = db.get_or_404(Course, course_id)
    user = db.get_or_404(User, user_id)
    db.session.add(Enrollment(user=user, course=course, enrolled_on=date.today()))
    db.session.commit()
    return jsonify(course=course.title, students=[e.user.username for e in course.enrollments])
