package dev.usagemetrics.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key pair and a self-signed certificate for {@code 127.0.0.1}/{@code localhost}, made at test
 * time with the JDK's {@code keytool} and written as PEM files: the certificate (which is also
 * what a peer trusts, being self-signed) and the private key (PKCS#8), as OTLP exporters and
 * gRPC servers read them.
 */
public record TlsIdentity(Path certificate, Path privateKey) {

  private static final char[] STORE_PASSWORD = "test-only".toCharArray();

  /** Makes a new identity named {@code name} in {@code dir}. */
  public static TlsIdentity selfSigned(Path dir, String name) {
    Path store = dir.resolve(name + ".p12");
    Path certificate = dir.resolve(name + ".pem");
    Path privateKey = dir.resolve(name + ".key");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-dname",
        "CN=" + name,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        new String(STORE_PASSWORD));
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        store.toString(),
        "-storepass",
        new String(STORE_PASSWORD),
        "-file",
        certificate.toString());
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, STORE_PASSWORD);
      Key key = keys.getKey(name, STORE_PASSWORD);
      String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(key.getEncoded());
      Files.writeString(
          privateKey, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key keytool made", e);
    }
    return new TlsIdentity(certificate, privateKey);
  }

  private static void keytool(String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
