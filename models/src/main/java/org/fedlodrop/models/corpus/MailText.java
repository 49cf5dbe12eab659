package org.fedlodrop.models.corpus;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.jsoup.Jsoup;

/**
 * The words of a raw e-mail: its subject and the text of its body, headers and markup stripped.
 * Parsed by Jakarta Mail (MIME parts, quoted-printable and base64 decoded); HTML parts become their
 * text through jsoup; attachments that are not text are left out.
 */
public final class MailText {
    private static final Session SESSION = Session.getInstance(new Properties());

    private MailText() {
    }

    /** "subject. body", whitespace folded; empty when nothing readable is left. */
    public static String of(String raw) {
        try {
            MimeMessage message = new MimeMessage(SESSION,
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
            String subject = message.getSubject() == null ? "" : message.getSubject();
            StringBuilder body = new StringBuilder();
            append(message, body);
            return fold(subject.isBlank() ? body.toString() : subject + ". " + body);
        } catch (MessagingException | IOException | RuntimeException e) {
            // A message the MIME parser cannot take: keep what follows the first blank line.
            int start = raw.indexOf("\n\n");
            return fold(start < 0 ? "" : Jsoup.parse(raw.substring(start)).text());
        }
    }

    private static void append(Part part, StringBuilder body) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            body.append(' ').append(content(part));
        } else if (part.isMimeType("text/html")) {
            body.append(' ').append(Jsoup.parse(content(part)).text());
        } else if (part.isMimeType("multipart/alternative")) {
            // The same text twice (plain and HTML): take the plain one if there is one.
            Multipart parts = (Multipart) part.getContent();
            Part chosen = null;
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart each = parts.getBodyPart(i);
                if (chosen == null || each.isMimeType("text/plain")) {
                    chosen = each;
                }
            }
            if (chosen != null) {
                append(chosen, body);
            }
        } else if (part.isMimeType("multipart/*")) {
            Multipart parts = (Multipart) part.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                append(parts.getBodyPart(i), body);
            }
        } else if (part.isMimeType("message/rfc822")) {
            append((Part) part.getContent(), body);
        }
    }

    private static String content(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof InputStream stream) {
            return new String(stream.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        return "";
    }

    private static String fold(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
