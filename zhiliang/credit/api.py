"""The credit exchange API (共享交换) for member departments, under /credit/api/.

Each department system authenticates with its own token (``Authorization: Token <key>``). A token
writes records only as its department in its region, and only of the record types it was issued for.
Writes go through the same checks as a file import (``imports.credit_records_exchange``): all records
of one request are written, or none.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from zhiliang.credit.imports import COLUMNS, LABEL, MAX_ROWS, credit_records_exchange
from zhiliang.credit.models import CreditRecord, Enterprise, ExchangeToken, ListEntry, RecordType
from zhiliang.credit.services import exchange_token_authenticate

MAX_RECORDS_PER_REQUEST = min(1000, MAX_ROWS)
KEY_FOR_LABEL = {label: key for key, label in LABEL.items()}


class ExchangeTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>``; the request's ``auth`` is the ExchangeToken."""

    keyword = "token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed("令牌格式错误，应为“Authorization: Token <令牌>”")
        try:
            key = header[1].decode()
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed("令牌格式错误") from exc
        token = exchange_token_authenticate(key)
        if token is None:
            raise AuthenticationFailed("令牌无效或已停用")
        return (AnonymousUser(), token)

    def authenticate_header(self, request) -> str:
        return "Token"


class ExchangeTokenScheme(OpenApiAuthenticationExtension):
    target_class = "zhiliang.credit.api.ExchangeTokenAuthentication"
    name = "exchangeToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <令牌>：每个成员单位一个令牌，由质量办签发。",
        }


class HasExchangeToken(BasePermission):
    message = "需要数据交换令牌"

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ExchangeToken)


class TokenApi(APIView):
    authentication_classes = [ExchangeTokenAuthentication]
    permission_classes = [HasExchangeToken]


class RecordTypeOutput(serializers.ModelSerializer):
    class Meta:
        model = RecordType
        fields = ["code", "name", "category", "polarity", "display_months", "repairable", "requires_product"]


class RecordTypeListApi(TokenApi):
    """The record types this token may write."""

    @extend_schema(responses=RecordTypeOutput(many=True), tags=["credit-exchange"])
    def get(self, request):
        types = request.auth.record_types.order_by("order", "code")
        return Response(RecordTypeOutput(types, many=True).data)


class RecordInput(serializers.Serializer):
    uscc = serializers.CharField(help_text="统一社会信用代码")
    name = serializers.CharField(help_text="企业名称")
    record_type = serializers.CharField(help_text="记录类型代码，如 SAMPLING_FAIL")
    occurred_on = serializers.DateField(help_text="发生/决定日期")
    external_id = serializers.CharField(required=False, allow_blank=True, help_text="来源系统编号（幂等）")
    decision_number = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    product = serializers.CharField(required=False, allow_blank=True)
    result = serializers.CharField(required=False, allow_blank=True)
    sector = serializers.CharField(
        required=False, allow_blank=True, help_text="food/drug/special_equipment/…"
    )
    published_from = serializers.DateField(required=False, allow_null=True)
    display_until = serializers.DateField(required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False, default=True)
    source_authority = serializers.CharField(required=False, allow_blank=True)

    def to_internal_value(self, data):
        # A field we don't read must be refused, not dropped: the sender would believe it was stored.
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:
            raise serializers.ValidationError(
                {
                    key: "来源部门和地区由令牌确定，不能在记录中指定"
                    if key in ("source_department", "source_region")
                    else "不支持的字段"
                    for key in unknown
                }
            )
        return super().to_internal_value(data)


class RecordOutput(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc")
    enterprise_name = serializers.CharField(source="enterprise.name")
    record_type = serializers.CharField(source="record_type.code")

    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "uscc",
            "enterprise_name",
            "record_type",
            "source_authority",
            "decision_number",
            "title",
            "product",
            "result",
            "occurred_on",
            "published_from",
            "display_until",
            "status",
            "is_public",
            "repaired_on",
            "external_id",
        ]


ErrorOutput = inline_serializer(
    "ExchangeError",
    {
        "row": serializers.IntegerField(help_text="records 中的序号，从1开始；0 表示整个请求"),
        "field": serializers.CharField(),
        "message": serializers.CharField(),
    },
)


class CreditRecordCreateApi(TokenApi):
    """Write credit records as this token's department (all or nothing)."""

    class InputSerializer(serializers.Serializer):
        records = RecordInput(many=True)
        dry_run = serializers.BooleanField(required=False, default=False, help_text="只校验，不写入")

        def validate_records(self, value):
            if not value:
                raise serializers.ValidationError("records 不能为空")
            if len(value) > MAX_RECORDS_PER_REQUEST:
                raise serializers.ValidationError(f"一次最多{MAX_RECORDS_PER_REQUEST}条")
            return value

    @extend_schema(
        request=InputSerializer,
        responses={
            201: inline_serializer(
                "ExchangeCreated",
                {
                    "created": serializers.IntegerField(),
                    "batch": serializers.IntegerField(allow_null=True),
                    "grades": serializers.DictField(child=serializers.CharField()),
                },
            ),
            200: inline_serializer("ExchangeChecked", {"valid": serializers.BooleanField()}),
            400: inline_serializer("ExchangeRejected", {"errors": ErrorOutput}),
        },
        tags=["credit-exchange"],
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = []
        for item in serializer.validated_data["records"]:
            row = {key: value for key, value in item.items() if key in COLUMNS}
            row["is_public"] = "是" if item.get("is_public", True) else "否"
            items.append(row)
        dry_run = serializer.validated_data["dry_run"]
        report = credit_records_exchange(token=request.auth, items=items, commit=not dry_run)
        if report.errors:
            errors = [
                {"row": e.row, "field": KEY_FOR_LABEL.get(e.column, e.column), "message": e.message}
                for e in report.errors
            ]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        if dry_run:
            return Response({"valid": True})
        return Response(
            {"created": report.created_records, "batch": report.batch.pk, "grades": report.grades},
            status=status.HTTP_201_CREATED,
        )


class CreditRecordListApi(TokenApi):
    """Records written by this token's department in its region (for reconciliation)."""

    @extend_schema(
        parameters=[OpenApiParameter("since", datetime.date, description="只返回此日期及以后更新的记录")],
        responses=RecordOutput(many=True),
        tags=["credit-exchange"],
    )
    def get(self, request):
        token: ExchangeToken = request.auth
        records = (
            CreditRecord.objects.filter(source_department=token.department, source_region=token.region)
            .select_related("enterprise", "record_type")
            .order_by("-updated_at", "-pk")
        )
        since = request.query_params.get("since")
        if since:
            try:
                day = datetime.date.fromisoformat(since)
            except ValueError:
                return Response({"since": ["日期格式应为 YYYY-MM-DD"]}, status=status.HTTP_400_BAD_REQUEST)
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            records = records.filter(updated_at__gte=start)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(records, request, view=self)
        return paginator.get_paginated_response(RecordOutput(page, many=True).data)


class EnterpriseArchiveOutput(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    former_names = serializers.ListField(child=serializers.CharField())
    grade = serializers.CharField(allow_null=True)
    grade_scheme = serializers.CharField(allow_null=True)
    lists = serializers.ListField(child=serializers.DictField())
    public_records = RecordOutput(many=True)


class EnterpriseArchiveApi(TokenApi):
    """An enterprise's shared credit information: default-scheme grade, current lists, public records."""

    @extend_schema(responses=EnterpriseArchiveOutput, tags=["credit-exchange"])
    def get(self, request, uscc: str):
        enterprise = get_object_or_404(Enterprise.objects.with_current_grade(), uscc=uscc.upper())
        grade = enterprise.current_grade()
        entries = ListEntry.objects.current().filter(enterprise=enterprise)
        records = (
            CreditRecord.objects.public()
            .filter(enterprise=enterprise)
            .select_related("enterprise", "record_type")
        )
        data = {
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "former_names": enterprise.former_names,
            "grade": grade.grade if grade else None,
            "grade_scheme": grade.scheme.code if grade else None,
            "lists": [
                {
                    "kind": e.kind,
                    "listed_on": e.listed_on.isoformat(),
                    "expires_on": e.expires_on.isoformat() if e.expires_on else None,
                    "source_authority": e.source_authority,
                    "reason": e.reason,
                }
                for e in entries
            ],
            "public_records": RecordOutput(records, many=True).data,
        }
        return Response(data)
