package dev.quarry.emulator.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;

/**
 * The Netty transport to use: native epoll on Linux when its library loads (noticeably fewer
 * syscalls per small request on loopback), else portable NIO. {@code
 * -Dquarry.emulator.transport=nio} forces NIO.
 */
public enum NettyTransport {
  EPOLL,
  NIO;

  /** The system property that can force a transport ({@code epoll} or {@code nio}). */
  public static final String PROPERTY = "quarry.emulator.transport";

  /** The best transport available here, unless the system property says otherwise. */
  public static NettyTransport best() {
    String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    if (forced.equals("nio")) {
      return NIO;
    }
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** An event-loop group of {@code threads} daemon threads named after {@code name}. */
  public EventLoopGroup newGroup(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return this == EPOLL
        ? new EpollEventLoopGroup(threads, factory)
        : new NioEventLoopGroup(threads, factory);
  }

  public Class<? extends ServerSocketChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends SocketChannel> clientChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
