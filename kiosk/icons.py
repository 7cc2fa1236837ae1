"""Simple, bold pictograms drawn with Kivy's canvas: no image files, no icon font to download.

Each drawing takes a square box (x, y, size) and uses thick strokes and filled
shapes so it stays recognisable for poor sight.  The site configuration names
the icon of each answer; an unknown name draws the question mark.
"""
from __future__ import annotations

import math

from kivy.graphics import Color, Ellipse, Line, Rectangle, Triangle
from kivy.clock import Clock
from kivy.properties import ListProperty, StringProperty
from kivy.uix.widget import Widget


def _phone(x, y, s, w):
    Line(rounded_rectangle=(x + s * .28, y + s * .08, s * .44, s * .84, s * .06), width=w)
    Ellipse(pos=(x + s * .45, y + s * .13), size=(s * .1, s * .1))
    Line(points=[x + s * .42, y + s * .82, x + s * .58, y + s * .82], width=w * .7)


def _passport(x, y, s, w):
    Line(rectangle=(x + s * .2, y + s * .08, s * .6, s * .84), width=w)
    Line(circle=(x + s * .5, y + s * .58, s * .16), width=w * .8)
    Line(points=[x + s * .32, y + s * .25, x + s * .68, y + s * .25], width=w * .8)


def _house(x, y, s, w):
    Line(points=[x + s * .1, y + s * .5, x + s * .5, y + s * .9, x + s * .9, y + s * .5], width=w)
    Line(rectangle=(x + s * .22, y + s * .1, s * .56, s * .45), width=w)
    Rectangle(pos=(x + s * .43, y + s * .1), size=(s * .14, s * .25))


def _calendar(x, y, s, w):
    Line(rectangle=(x + s * .12, y + s * .1, s * .76, s * .7), width=w)
    Rectangle(pos=(x + s * .12, y + s * .62), size=(s * .76, s * .18))
    for cx in (.32, .68):
        Line(points=[x + s * cx, y + s * .74, x + s * cx, y + s * .92], width=w)
    for row in range(2):
        for col in range(3):
            Rectangle(pos=(x + s * (.22 + col * .2), y + s * (.18 + row * .2)), size=(s * .12, s * .12))


def _question(x, y, s, w):
    Line(circle=(x + s * .5, y + s * .5, s * .42), width=w)
    Line(circle=(x + s * .5, y + s * .6, s * .14, -90, 130), width=w)
    Line(points=[x + s * .5, y + s * .46, x + s * .5, y + s * .36], width=w)
    Ellipse(pos=(x + s * .45, y + s * .18), size=(s * .1, s * .1))


def _teach(x, y, s, w):
    Line(rectangle=(x + s * .38, y + s * .4, s * .52, s * .45), width=w)
    Ellipse(pos=(x + s * .08, y + s * .56), size=(s * .2, s * .2))
    Line(points=[x + s * .18, y + s * .55, x + s * .18, y + s * .1], width=w * 1.3)
    Line(points=[x + s * .18, y + s * .45, x + s * .45, y + s * .6], width=w)


def _key(x, y, s, w):
    Line(circle=(x + s * .3, y + s * .5, s * .18), width=w)
    Line(points=[x + s * .48, y + s * .5, x + s * .9, y + s * .5], width=w)
    Line(points=[x + s * .75, y + s * .5, x + s * .75, y + s * .34], width=w)
    Line(points=[x + s * .86, y + s * .5, x + s * .86, y + s * .36], width=w)


def _car(x, y, s, w):
    Line(rounded_rectangle=(x + s * .08, y + s * .3, s * .84, s * .26, s * .06), width=w)
    Line(points=[x + s * .24, y + s * .56, x + s * .34, y + s * .76, x + s * .66, y + s * .76,
                 x + s * .76, y + s * .56], width=w)
    for cx in (.28, .72):
        Ellipse(pos=(x + s * (cx - .1), y + s * .16), size=(s * .2, s * .2))


def _health(x, y, s, w):
    Rectangle(pos=(x + s * .39, y + s * .12), size=(s * .22, s * .76))
    Rectangle(pos=(x + s * .12, y + s * .39), size=(s * .76, s * .22))


def _coins(x, y, s, w):
    for i in range(3):
        Line(ellipse=(x + s * .18, y + s * (.12 + i * .2), s * .64, s * .26), width=w)


def _back(x, y, s, w):
    Line(points=[x + s * .85, y + s * .5, x + s * .2, y + s * .5], width=w * 1.3)
    Triangle(points=[x + s * .08, y + s * .5, x + s * .4, y + s * .78, x + s * .4, y + s * .22])


def _forward(x, y, s, w):
    Line(points=[x + s * .15, y + s * .5, x + s * .8, y + s * .5], width=w * 1.3)
    Triangle(points=[x + s * .92, y + s * .5, x + s * .6, y + s * .78, x + s * .6, y + s * .22])


def _restart(x, y, s, w):
    Line(circle=(x + s * .5, y + s * .48, s * .32, 40, 330), width=w * 1.2)
    a = math.radians(40)
    tx, ty = x + s * .5 + s * .32 * math.sin(a), y + s * .48 + s * .32 * math.cos(a)
    Triangle(points=[tx + s * .14, ty + s * .06, tx - s * .12, ty + s * .1, tx - s * .02, ty - s * .16])


def _speaker(x, y, s, w):
    Rectangle(pos=(x + s * .1, y + s * .36), size=(s * .18, s * .28))
    Triangle(points=[x + s * .2, y + s * .5, x + s * .48, y + s * .85, x + s * .48, y + s * .15])
    Line(circle=(x + s * .5, y + s * .5, s * .2, 50, 130), width=w)
    Line(circle=(x + s * .5, y + s * .5, s * .36, 50, 130), width=w)


def _check(x, y, s, w):
    Line(points=[x + s * .15, y + s * .5, x + s * .4, y + s * .22, x + s * .88, y + s * .8], width=w * 1.4)


def _box(x, y, s, w):
    Line(rectangle=(x + s * .12, y + s * .12, s * .76, s * .76), width=w)


def _plus(x, y, s, w):
    """More to choose ("Særlige ønsker"); an empty box there looked like a form field to fill in."""
    Line(points=[x + s * .5, y + s * .15, x + s * .5, y + s * .85], width=w * 1.4)
    Line(points=[x + s * .15, y + s * .5, x + s * .85, y + s * .5], width=w * 1.4)


def _volunteer(x, y, s, w):
    Ellipse(pos=(x + s * .14, y + s * .42), size=(s * .4, s * .4))
    Ellipse(pos=(x + s * .46, y + s * .42), size=(s * .4, s * .4))
    Triangle(points=[x + s * .16, y + s * .58, x + s * .84, y + s * .58, x + s * .5, y + s * .1])


def _staff(x, y, s, w):
    Ellipse(pos=(x + s * .35, y + s * .6), size=(s * .3, s * .3))
    Line(points=[x + s * .15, y + s * .08, x + s * .2, y + s * .4, x + s * .8, y + s * .4, x + s * .85, y + s * .08],
         width=w)
    Rectangle(pos=(x + s * .56, y + s * .18), size=(s * .14, s * .12))


def _warning(x, y, s, w):
    Line(points=[x + s * .5, y + s * .9, x + s * .92, y + s * .12, x + s * .08, y + s * .12], width=w, close=True)
    Line(points=[x + s * .5, y + s * .66, x + s * .5, y + s * .36], width=w * 1.2)
    Ellipse(pos=(x + s * .45, y + s * .18), size=(s * .1, s * .1))


DRAWINGS = {
    "phone": _phone, "passport": _passport, "house": _house, "calendar": _calendar,
    "question": _question, "teach": _teach, "key": _key, "car": _car, "health": _health,
    "coins": _coins, "back": _back, "forward": _forward, "restart": _restart, "speaker": _speaker,
    "check": _check, "box": _box, "plus": _plus, "volunteer": _volunteer, "staff": _staff, "warning": _warning,
}


class Icon(Widget):
    """A square pictogram centred in the widget, drawn in ``color``."""

    name = StringProperty("question")
    color = ListProperty([1, 1, 1, 1])

    def __init__(self, **kwargs):
        self._redraw = Clock.create_trigger(self.redraw, -1)  # once per frame, with the final geometry
        super().__init__(**kwargs)
        self.bind(pos=self._redraw, size=self._redraw, name=self._redraw, color=self._redraw)

    def redraw(self, *_):
        self.canvas.clear()
        if not self.name:
            return
        s = min(self.width, self.height)
        x, y = self.center_x - s / 2, self.center_y - s / 2
        with self.canvas:
            Color(*self.color)
            DRAWINGS.get(self.name, _question)(x, y, s, max(1.5, s * .06))
