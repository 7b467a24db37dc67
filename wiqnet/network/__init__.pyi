"""The cooperation network: graph, analysis, introductions, overview, diagram, export, report."""

from .analysis import cooperation_network, ego_distances, full_graph
from .draw import to_svg
from .explore import explore_data
from .export import export_network
from .formats import FORMATS
from .graph import build_graph, derived_groups
from .introductions import MAX_DISTANCE_M, reason
from .layout import PLACEMENTS, diagram
from .overview import Ego, Partner, ego_view, overview, recorded_partners
from .report import html_to_pdf, render_report

__all__ = [
    "FORMATS",
    "MAX_DISTANCE_M",
    "PLACEMENTS",
    "Ego",
    "Partner",
    "build_graph",
    "cooperation_network",
    "derived_groups",
    "diagram",
    "ego_distances",
    "ego_view",
    "explore_data",
    "export_network",
    "full_graph",
    "html_to_pdf",
    "overview",
    "reason",
    "recorded_partners",
    "render_report",
    "to_svg",
]
