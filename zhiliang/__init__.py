"""Zhiliang (质量): a platform for a province's quality-development work."""
