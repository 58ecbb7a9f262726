from rest_framework import serializers


class AlignmentRequestSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=8)
    mode = serializers.ChoiceField(choices=["preview", "apply"], default="preview")
    text = serializers.CharField(required=False, trim_whitespace=False, max_length=5_000_000)
    file = serializers.FileField(required=False)
    replace_submitted = serializers.BooleanField(
        default=False,
        help_text="also replace submitted translations in the stretch (approved ones are never replaced)",
    )

    def validate(self, attrs):
        if bool(attrs.get("text")) == bool(attrs.get("file")):
            raise serializers.ValidationError("Give the translation as either 'text' or 'file'.")
        return attrs


class PlannedUnitSerializer(serializers.Serializer):
    first_position = serializers.IntegerField(source="first", allow_null=True)
    last_position = serializers.IntegerField(source="last", allow_null=True)
    sentences = serializers.ListField(child=serializers.IntegerField())
    text = serializers.CharField(allow_blank=True)
    score = serializers.FloatField()
    anchor = serializers.SerializerMethodField(
        help_text="a kept translation found in the paste (fixed anchor)"
    )
    kept = serializers.SerializerMethodField(
        help_text="the approved or submitted translation these segments keep"
    )
    kept_status = serializers.SerializerMethodField()
    flags = serializers.ListField(child=serializers.CharField())

    def get_anchor(self, unit) -> int | None:
        return unit.kept.pk if unit.kept is not None else None

    def get_kept(self, unit) -> int | None:
        kept = unit.held
        return kept.pk if kept is not None else None

    def get_kept_status(self, unit) -> str | None:
        kept = unit.held
        return kept.status if kept is not None else None


class AlignmentResultSerializer(serializers.Serializer):
    mode = serializers.CharField()
    language = serializers.CharField()
    summary = serializers.DictField()
    units = PlannedUnitSerializer(many=True)


class MergeSerializer(serializers.Serializer):
    first = serializers.IntegerField(min_value=1)
    second = serializers.IntegerField(min_value=1)
    first_version = serializers.IntegerField(min_value=1)
    second_version = serializers.IntegerField(min_value=1)


class SplitSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    sentences_first = serializers.IntegerField(
        min_value=0, help_text="target sentences kept in the first part"
    )
    source_split = serializers.IntegerField(
        min_value=0, help_text="source position where the second part starts"
    )


class MoveSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    neighbour = serializers.IntegerField(min_value=1)
    neighbour_version = serializers.IntegerField(min_value=1)
