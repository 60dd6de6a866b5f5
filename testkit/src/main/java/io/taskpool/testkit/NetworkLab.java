package io.taskpool.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for tests on one machine: each a Linux network namespace joined to this one by a veth pair,
 * and service addresses here (extra /32s on the loopback interface) where brokers and Redis listen
 * and that every host reaches through its veth. A test cuts a host off ({@link Host#cutOff}) or
 * only its route to one address ({@link Host#blackhole}) and brings it back. Needs root and
 * iproute2; everything it made goes on close. Names and subnets are random, so two runs on one
 * machine do not collide.
 */
public final class NetworkLab implements AutoCloseable {
  private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  private final int second = 16 + ThreadLocalRandom.current().nextInt(16);
  private final int third = ThreadLocalRandom.current().nextInt(200);
  private final List<Host> hosts = new ArrayList<>();
  private final List<String> serviceAddresses = new ArrayList<>();

  private NetworkLab() {}

  /**
   * @throws IllegalStateException, saying so, when not run as root or without the ip command
   */
  public static NetworkLab create() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "network-namespace tests need root (ip netns, veth pairs): run them as root, as CI does;"
              + " user is "
              + System.getProperty("user.name"));
    }
    return new NetworkLab();
  }

  /** A fresh address here that every host reaches (a /32 on the loopback interface). */
  public String addServiceAddress() {
    String address = "172." + second + "." + third + "." + (serviceAddresses.size() + 1);
    run("ip", "addr", "add", address + "/32", "dev", "lo");
    serviceAddresses.add(address);
    return address;
  }

  /** A new host: a namespace with a veth pair to here, its default route through it. */
  public Host addHost(String name) {
    int index = hosts.size() + 1;
    Host host =
        new Host(
            name,
            "tp-" + id + "-" + name,
            "tp" + id + index + "r",
            "tp" + id + index + "n",
            "172." + second + "." + (third + index) + ".");
    host.create();
    hosts.add(host);
    return host;
  }

  @Override
  public void close() {
    hosts.forEach(Host::delete);
    serviceAddresses.forEach(
        address -> runQuietly("ip", "addr", "del", address + "/32", "dev", "lo"));
  }

  /** One simulated host. */
  public static final class Host {
    private final String name;
    private final String namespace;
    private final String rootSide;
    private final String hostSide;
    private final String subnet;

    private Host(String name, String namespace, String rootSide, String hostSide, String subnet) {
      this.name = name;
      this.namespace = namespace;
      this.rootSide = rootSide;
      this.hostSide = hostSide;
      this.subnet = subnet;
    }

    private void create() {
      run("ip", "netns", "add", namespace);
      run("ip", "link", "add", rootSide, "type", "veth", "peer", "name", hostSide);
      run("ip", "link", "set", hostSide, "netns", namespace);
      run("ip", "addr", "add", subnet + "1/24", "dev", rootSide);
      run("ip", "link", "set", rootSide, "up");
      run("ip", "netns", "exec", namespace, "ip", "addr", "add", subnet + "2/24", "dev", hostSide);
      run("ip", "netns", "exec", namespace, "ip", "link", "set", hostSide, "up");
      run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
      run("ip", "netns", "exec", namespace, "ip", "route", "add", "default", "via", subnet + "1");
    }

    public String name() {
      return name;
    }

    /** Its address, as this namespace reaches it (e.g. its coordinator's status page). */
    public String address() {
      return subnet + "2";
    }

    /** The command prefix that runs a program on this host. */
    public List<String> exec() {
      return List.of("ip", "netns", "exec", namespace);
    }

    /**
     * Takes its link down: it reaches nothing and nothing reaches it; its processes keep running.
     */
    public void cutOff() {
      run("ip", "link", "set", rootSide, "down");
    }

    public void reconnect() {
      run("ip", "link", "set", rootSide, "up");
      // The host's default route went with the link; put it back.
      runQuietly(
          "ip",
          "netns",
          "exec",
          namespace,
          "ip",
          "route",
          "replace",
          "default",
          "via",
          subnet + "1");
    }

    /** Drops only its traffic to {@code address}: the host still reaches everything else. */
    public void blackhole(String address) {
      run("ip", "netns", "exec", namespace, "ip", "route", "add", "blackhole", address + "/32");
    }

    public void unblackhole(String address) {
      run("ip", "netns", "exec", namespace, "ip", "route", "del", "blackhole", address + "/32");
    }

    private void delete() {
      runQuietly("ip", "link", "delete", rootSide);
      runQuietly("ip", "netns", "delete", namespace);
    }
  }

  private static void run(String... command) {
    String output = execute(command);
    if (output != null) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
    }
  }

  private static void runQuietly(String... command) {
    execute(command);
  }

  /** Null on success, else the command's output. */
  private static String execute(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "timed out";
      }
      return process.exitValue() == 0 ? null : new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run " + command[0] + " (network-namespace tests need iproute2)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
