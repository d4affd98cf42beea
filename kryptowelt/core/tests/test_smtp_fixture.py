"""The loopback SMTP server the mail tests rely on really receives what Django sends."""

from django.core.mail import EmailMultiAlternatives


def test_mail_sent_by_django_arrives_in_the_loopback_server(smtp_server):
    mail = EmailMultiAlternatives(
        "Grüße aus der Redaktion", "Text", "redaktion@kryptowelt.example", ["leserin@example.org"]
    )
    mail.attach_alternative("<p>Text</p>", "text/html")
    mail.send()

    (received,) = smtp_server.to("leserin@example.org")
    assert received["Subject"] == "Grüße aus der Redaktion"
    assert received.get_body(("html",)).get_content().strip() == "<p>Text</p>"
