"""The pure scoring engine: numbers worked out by hand in each test."""

from __future__ import annotations

import doctest
from decimal import Decimal as D
from unittest import TestCase

from zhiliang.lib import scoring
from zhiliang.lib.scoring import Adjustment, CityInput, LeafInput, Node, Rules, SchemeError


def anhui_like() -> scoring.CompiledTree:
    # 质量目标 40 (1.1 = 25, 1.2 = 15) + 质量措施 60 (2.1 = 30, 2.2 = 30)
    return scoring.compile_tree(
        [
            Node("1", None, D(40)),
            Node("1.1", "1", D(25)),
            Node("1.2", "1", D(15)),
            Node("2", None, D(60)),
            Node("2.1", "2", D(30)),
            Node("2.2", "2", D(30)),
        ]
    )


def dept(value: str, reason: str = "") -> LeafInput:
    return LeafInput(base=D(value), source="department", reason=reason)


class DoctestTests(TestCase):
    def test_the_module_examples_hold(self) -> None:
        result = doctest.testmod(scoring, optionflags=doctest.ELLIPSIS)
        self.assertEqual(result.failed, 0)
        self.assertGreater(result.attempted, 5)


class TreeTests(TestCase):
    def test_it_orders_children_before_parents(self) -> None:
        tree = anhui_like()
        keys = [n.key for n in tree.nodes]
        self.assertLess(keys.index("1.1"), keys.index("1"))
        self.assertLess(keys.index("2.2"), keys.index("2"))
        self.assertEqual(tree.leaves, ("1.1", "1.2", "2.1", "2.2"))
        self.assertEqual(tree.max_total, D(100))

    def test_it_rejects_an_unknown_parent(self) -> None:
        with self.assertRaisesRegex(SchemeError, "unknown parent"):
            scoring.compile_tree([Node("1", None, D(10)), Node("1.1", "9", D(5))])

    def test_it_rejects_a_cycle(self) -> None:
        with self.assertRaisesRegex(SchemeError, "cycle"):
            scoring.compile_tree([Node("1", None, D(10)), Node("a", "b", D(5)), Node("b", "a", D(5))])

    def test_it_rejects_duplicate_keys_and_zero_points(self) -> None:
        with self.assertRaisesRegex(SchemeError, "twice"):
            scoring.compile_tree([Node("1", None, D(10)), Node("1", None, D(5))])
        with self.assertRaisesRegex(SchemeError, "more than 0"):
            scoring.compile_tree([Node("1", None, D(0))])

    def test_it_warns_when_children_do_not_add_up(self) -> None:
        tree = scoring.compile_tree([Node("1", None, D(10)), Node("1.1", "1", D(6)), Node("1.2", "1", D(6))])
        self.assertEqual(scoring.point_warnings(tree), ["1: 下级分值合计 12，本级 10"])

    def test_a_deep_tree_scores_every_level(self) -> None:
        nodes = [Node("1", None, D(100))]
        parent = "1"
        for _depth in range(2, 30):  # 29 levels: no recursion limit to hit
            key = f"{parent}.1"
            nodes.append(Node(key, parent, D(100)))
            parent = key
        tree = scoring.compile_tree(nodes)
        city = scoring.score_city(tree, {parent: dept("87.5", "扣分")})
        self.assertEqual(city.nodes["1"].score, D("87.50"))
        self.assertEqual(city.total, D("87.50"))


class LeafTests(TestCase):
    def test_it_caps_a_leaf_at_its_points_and_records_the_cap(self) -> None:
        tree = anhui_like()
        inputs = {
            "1.1": LeafInput(base=D(24), source="department", adjustments=(Adjustment(D(3), "现场加分"),))
        }
        node = scoring.score_city(tree, inputs).nodes["1.1"]
        self.assertEqual(node.raw, D(27))
        self.assertEqual(node.score, D(25))
        self.assertEqual([t.kind for t in node.trace], ["base", "adjustment", "cap"])
        self.assertEqual(node.trace[-1].amount, D(-2))

    def test_it_floors_at_zero(self) -> None:
        tree = anhui_like()
        inputs = {"1.2": LeafInput(base=D(2), adjustments=(Adjustment(D(-5), "核查发现瞒报"),))}
        self.assertEqual(scoring.score_city(tree, inputs).nodes["1.2"].score, D(0))

    def test_an_unscored_leaf_counts_zero_and_says_so(self) -> None:
        node = scoring.score_city(anhui_like(), {}).nodes["2.1"]
        self.assertEqual(node.score, D(0))
        self.assertEqual(node.trace[0].kind, "unscored")
        self.assertEqual(node.deduction, D(30))

    def test_every_deduction_is_traced_to_a_reason(self) -> None:
        tree = anhui_like()
        inputs = {
            "1.1": LeafInput(
                base=D(22), source="department", reason="合格率低于目标3个百分点", refs=("材料：抽查表.pdf",)
            ),
            "1.2": dept("15"),
            "2.1": LeafInput(
                base=D(30), source="department", adjustments=(Adjustment(D(-1.5), "台账不全", "核查记录"),)
            ),
            "2.2": LeafInput(base=D("24.6"), source="auto", reason="任务完成率 82%"),
        }
        city = scoring.score_city(tree, inputs)
        # 22 + 15 + 28.5 + 24.6 = 90.1; every point lost appears in a trace line
        self.assertEqual(city.total, D("90.10"))
        lost = sum((t.amount for n in city.nodes.values() for t in n.trace), D(0))
        self.assertEqual(lost, D("-9.90"))
        self.assertEqual(city.nodes["1.1"].trace[0].refs, ("材料：抽查表.pdf",))

    def test_inner_nodes_are_capped_too(self) -> None:
        tree = scoring.compile_tree([Node("1", None, D(10)), Node("1.1", "1", D(8)), Node("1.2", "1", D(8))])
        city = scoring.score_city(tree, {"1.1": dept("8"), "1.2": dept("8")})
        self.assertEqual(city.nodes["1"].raw, D(16))
        self.assertEqual(city.nodes["1"].score, D(10))


class TotalsTests(TestCase):
    def test_it_normalises_a_75_point_tree_to_100(self) -> None:
        tree = scoring.compile_tree([Node("1", None, D(75))])
        self.assertEqual(scoring.score_city(tree, {"1": dept("60")}).total, D("80.00"))

    def test_it_normalises_a_thousand_point_scale(self) -> None:
        # Jiangxi style: the tree is worth 1000 and so is the scale; bands in scale units.
        tree = scoring.compile_tree([Node("1", None, D(600)), Node("2", None, D(400))])
        rules = Rules(scale=D(1000), bands=(("A", D(900)), ("B", D(800)), ("C", D(600)), ("D", D(0))))
        results = scoring.assess(
            tree,
            {
                "x": CityInput({"1": dept("560"), "2": dept("345")}),  # 905 → A
                "y": CityInput({"1": dept("500"), "2": dept("299.5")}),  # 799.5 → C
            },
            rules,
        )
        self.assertEqual(
            [(r.city, str(r.total), r.grade, r.rank) for r in results],
            [("x", "905.00", "A", 1), ("y", "799.50", "C", 2)],
        )

    def test_it_rounds_half_up(self) -> None:
        tree = scoring.compile_tree([Node("1", None, D(3))])
        # 2 / 3 × 100 = 66.666… → 66.67
        self.assertEqual(scoring.score_city(tree, {"1": dept("2")}).total, D("66.67"))
        self.assertEqual(scoring.quantize(D("89.995")), D("90.00"))


class RankingTests(TestCase):
    def test_vetoed_cities_get_d_and_rank_after_the_others(self) -> None:
        tree = scoring.compile_tree([Node("1", None, D(100))])
        results = scoring.assess(
            tree,
            {
                "a": CityInput({"1": dept("95")}, vetoes=("发生区域性质量安全事件",)),
                "b": CityInput({"1": dept("85")}),
                "c": CityInput({"1": dept("85")}),
                "d": CityInput({"1": dept("55")}),
            },
        )
        got = {r.city: (r.grade, r.rank, r.banded_grade) for r in results}
        self.assertEqual(
            got, {"b": ("B", 1, "B"), "c": ("B", 1, "B"), "d": ("D", 3, "D"), "a": ("D", 4, "A")}
        )

    def test_vetoed_cities_can_keep_their_place_by_score(self) -> None:
        tree = scoring.compile_tree([Node("1", None, D(100))])
        results = scoring.assess(
            tree,
            {"a": CityInput({"1": dept("95")}, vetoes=("x",)), "b": CityInput({"1": dept("85")})},
            Rules(veto_ranks_last=False),
        )
        self.assertEqual([(r.city, r.rank, r.grade) for r in results], [("a", 1, "D"), ("b", 2, "B")])

    def test_ties_are_decided_on_the_rounded_total(self) -> None:
        rows = [("a", D("90.00"), False), ("b", D("90.00"), False), ("c", D("89.99"), False)]
        self.assertEqual(scoring.rank(rows), {"a": 1, "b": 1, "c": 3})
        self.assertEqual(scoring.rank(rows, tie_rule="dense"), {"a": 1, "b": 1, "c": 2})

    def test_bad_settings_are_refused(self) -> None:
        with self.assertRaisesRegex(SchemeError, "start at 0"):
            Rules(bands=(("A", D(90)), ("B", D(10))))
        with self.assertRaisesRegex(SchemeError, "tie rule"):
            Rules(tie_rule="olympic")
        with self.assertRaisesRegex(SchemeError, "veto grade"):
            Rules(veto_grade="E")
        with self.assertRaisesRegex(SchemeError, "above the scale"):
            Rules(bands=(("A", D(900)), ("D", D(0))))
