package dev.quarry.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One PNG with a panel per scenario: records/s over time, and the configured limit where there is
 * one.
 */
final class ThroughputChart {
  private static final int PANEL_WIDTH = 640;
  private static final int PANEL_HEIGHT = 320;
  private static final int COLUMNS = 2;

  private ThroughputChart() {}

  static void write(List<ScenarioResult> results, String caption, Path png) throws IOException {
    int rows = (results.size() + COLUMNS - 1) / COLUMNS;
    BufferedImage image =
        new BufferedImage(
            PANEL_WIDTH * COLUMNS, PANEL_HEIGHT * rows + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.DARK_GRAY);
    g.drawString(caption, 10, 20);
    for (int i = 0; i < results.size(); i++) {
      JFreeChart chart = panel(results.get(i));
      chart.draw(
          g,
          new Rectangle2D.Double(
              (i % COLUMNS) * PANEL_WIDTH,
              30 + (i / COLUMNS) * PANEL_HEIGHT,
              PANEL_WIDTH,
              PANEL_HEIGHT));
    }
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static JFreeChart panel(ScenarioResult r) {
    XYSeries series = new XYSeries("records/s");
    // About 30 windows per run, so that a short job still shows a curve and a slow one is not all
    // noise.
    List<Timeline.Sample> samples = r.timeline().samples();
    double duration =
        samples.isEmpty()
            ? 0
            : samples.get(samples.size() - 1).seconds() - samples.get(0).seconds();
    double window = Math.min(5.0, Math.max(0.2, duration / 30));
    for (double[] point : r.timeline().throughput(window)) {
      series.add(point[0], point[1]);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            r.key() + "  " + r.title(),
            "seconds since start",
            "records/s",
            new XYSeriesCollection(series),
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(13f));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
    if (!Double.isNaN(r.referenceRate())) {
      ValueMarker limit = new ValueMarker(r.referenceRate(), Color.RED, new BasicStroke(1.5f));
      limit.setLabel("limit " + Math.round(r.referenceRate() * 10) / 10.0 + "/s");
      plot.addRangeMarker(limit);
    }
    return chart;
  }
}
