from django.urls import reverse


def test_chinese_is_served_whatever_the_browser_asks(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_a_user_can_switch_to_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
