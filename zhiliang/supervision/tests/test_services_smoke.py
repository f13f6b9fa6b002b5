from zhiliang.supervision.models import WorkItem


def test_it_issues_a_work_item_per_unit(issued_plan):
    items = WorkItem.objects.filter(task__plan=issued_plan).select_related("organisation")
    assert sorted((i.task.number, i.organisation.name, i.role) for i in items) == [
        (1, "浙江省经济和信息化委员会", "assist"),
        (1, "浙江省质量技术监督局", "lead"),
        (2, "宁波市人民政府", "lead"),
        (2, "杭州市人民政府", "lead"),
    ]
