package org.xmppcm.cm.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files operators get from their CA or from certbot: a certificate chain and an
 * unencrypted PKCS#8 private key (RSA or EC). Plain JDK, no BouncyCastle. Text around the PEM
 * blocks (OpenSSL's "Bag Attributes", comments) is ignored. Every failure names the file and
 * says what to do about it.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

    private PemFiles() {
    }

    /** The certificates of {@code file}, in file order (the server's own first). */
    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file)) {
                if (block.label().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw TlsSetupException.of(file, "not a valid X.509 certificate (" + e.getMessage() + ")", e);
        }
        if (chain.isEmpty()) {
            throw TlsSetupException.of(file, "no -----BEGIN CERTIFICATE----- block", null);
        }
        return chain;
    }

    /** The one private key in {@code file}. */
    static PrivateKey privateKey(Path file) {
        List<Block> blocks = blocks(file);
        for (Block block : blocks) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, block.der());
                }
                case "ENCRYPTED PRIVATE KEY" -> throw TlsSetupException.of(file,
                        "the private key is encrypted; decrypt it: openssl pkcs8 -in KEY -out KEY.pem", null);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw TlsSetupException.of(file,
                        "the private key is in the old " + block.label().split(" ")[0]
                                + " format; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem", null);
                default -> {
                    // Certificates or parameters next to the key are allowed.
                }
            }
        }
        throw TlsSetupException.of(file, "no -----BEGIN PRIVATE KEY----- block", null);
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // Not this algorithm; try the next.
            } catch (GeneralSecurityException e) {
                throw TlsSetupException.of(file, "cannot read the private key (" + e.getMessage() + ")", e);
            }
        }
        throw TlsSetupException.of(file, "not an RSA or EC private key in PKCS#8 form", null);
    }

    private record Block(String label, byte[] der) {
    }

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw TlsSetupException.of(file, "cannot read it (" + e + ")", e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw TlsSetupException.of(file, "damaged base64 in its " + m.group(1) + " block", e);
            }
        }
        if (blocks.isEmpty()) {
            throw TlsSetupException.of(file, "not a PEM file (no -----BEGIN ...----- block)", null);
        }
        return blocks;
    }
}
