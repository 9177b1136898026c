"""T15 masking of customer personal data and who may see it in full."""

from tickets.domain.privacy import (
    can_see_personal_data,
    customer_view,
    mask_address,
    mask_customer,
    mask_name,
    mask_phone,
    mask_platform_id,
)

CUSTOMER = {
    "id": "c-1",
    "name": "张三丰",
    "phone": "13812345678",
    "address": "浙江省杭州市西湖区文三路100号",
    "platform_ids": ["tb_zhang123", "jd_98765"],
    "tier": "key",
}


def test_t15_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("88881234") == "****1234"
    assert mask_address("浙江省杭州市西湖区文三路100号") == "浙江省杭州市****"
    assert mask_platform_id("tb_zhang123") == "tb****23"
    assert mask_name("张三丰") == "张**"


def test_t15_mask_customer_masks_personal_fields_only():
    masked = mask_customer(CUSTOMER)
    assert masked == {
        "id": "c-1",
        "name": "张**",
        "phone": "138****5678",
        "address": "浙江省杭州市****",
        "platform_ids": ["tb****23", "jd****65"],
        "tier": "key",
    }
    assert CUSTOMER["phone"] == "13812345678"  # the original is untouched


def test_t15_assignee_and_supervisors_see_full_data_others_masked():
    assert can_see_personal_data("agent-1", "aftersales", "agent-1")
    assert can_see_personal_data("sup-1", "supervisor", "agent-1")
    assert can_see_personal_data("mgr-1", "manager", None)
    assert not can_see_personal_data("agent-2", "aftersales", "agent-1")
    assert not can_see_personal_data("agent-2", "presales", None)
    assert customer_view(CUSTOMER, "agent-2", "aftersales", "agent-1")["phone"] == "138****5678"
    assert customer_view(CUSTOMER, "agent-1", "aftersales", "agent-1")["phone"] == "13812345678"
