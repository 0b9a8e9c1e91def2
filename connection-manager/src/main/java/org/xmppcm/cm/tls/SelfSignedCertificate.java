package org.xmppcm.cm.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * A self-signed certificate made at start, for the demo only: an EC P-256 key, {@code CN} and a DNS
 * subjectAltName for the domain, valid from an hour ago for {@code validity}. The JDK can sign but has no public
 * API to build a certificate, so the DER of the X.509 v3 TBSCertificate (RFC 5280 4.1) is written here; it is the
 * smallest certificate clients accept for STARTTLS after the user has accepted it.
 *
 * <p>Never for production: nothing vouches for it. It lets a client with default settings (TLS wanted) log in to the
 * demo once its user has accepted the certificate, whose SHA-256 fingerprint the demo prints for comparison.
 */
public final class SelfSignedCertificate {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    // Object identifiers, already DER-encoded (tag 06, length, value).
    private static final byte[] EC_PUBLIC_KEY = hex("06072a8648ce3d0201");
    private static final byte[] ECDSA_WITH_SHA256 = hex("06082a8648ce3d040302");
    private static final byte[] COMMON_NAME = hex("0603550403");
    private static final byte[] SUBJECT_ALT_NAME = hex("0603551d11");

    private final KeyPair keys;
    private final X509Certificate certificate;

    private SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new key and certificate for {@code domain}. */
    public static SelfSignedCertificate create(String domain, Duration validity) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        byte[] name = sequence(set(sequence(COMMON_NAME, utf8String(domain))));
        byte[] signatureAlgorithm = sequence(ECDSA_WITH_SHA256);
        byte[] tbs = sequence(
                tagged(0xa0, integer(BigInteger.TWO)), // version: v3
                integer(new BigInteger(64, new SecureRandom()).setBit(63)),
                signatureAlgorithm,
                name,
                sequence(utcTime(now.minus(Duration.ofHours(1))), utcTime(now.plus(validity))),
                name,
                keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, DER already
                tagged(0xa3, sequence(sequence(SUBJECT_ALT_NAME,
                        octetString(sequence(tlv(0x82, domain.getBytes(StandardCharsets.US_ASCII))))))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] der = sequence(tbs, signatureAlgorithm, bitString(signer.sign()));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
        certificate.verify(keys.getPublic());
        return new SelfSignedCertificate(keys, certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The SHA-256 fingerprint as clients show it: upper-case hex pairs separated by colons. */
    public String sha256Fingerprint() throws GeneralSecurityException {
        return fingerprint("SHA-256");
    }

    /** The SHA-1 fingerprint, which some clients (profanity) show instead, in lower-case hex as they do. */
    public String sha1Fingerprint() throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    }

    private String fingerprint(String algorithm) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** Writes key and certificate to a new PKCS12 file (owner-readable only where the file system allows). */
    public void writePkcs12(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("demo", keys.getPrivate(), password, new java.security.cert.Certificate[] {certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
    }

    // ---- DER (X.690): tag, definite length, value

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] tagged(int tag, byte[] content) {
        return tlv(tag, content);
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] utf8String(String text) {
        return tlv(0x0c, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] octetString(byte[] value) {
        return tlv(0x04, value);
    }

    private static byte[] bitString(byte[] value) {
        return tlv(0x03, concat(new byte[] {0}, value)); // no unused bits
    }

    private static byte[] utcTime(Instant instant) {
        return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String value) {
        return HexFormat.of().parseHex(value);
    }
}
