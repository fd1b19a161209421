"""Factory Tiers — 智能工厂梯度培育管理系统."""

from .celery import app as celery_app

__all__ = ("celery_app",)
