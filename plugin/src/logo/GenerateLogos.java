import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.File;
import java.io.IOException;

import javax.imageio.ImageIO;

/**
 * Draws the plugin's admin-console icons, logo_small.gif (16x16) and logo_large.gif (32x32), into the
 * directory given as the only argument (the reactor root). Kept so the icons can be regenerated rather
 * than edited by hand; not part of the build. Run with: java plugin/src/logo/GenerateLogos.java .
 *
 * <p>The picture is the idea of the plugin: three clients on the left whose lines merge into one link to
 * a server on the right. Four-colour palette with a transparent background, no anti-aliasing, so the
 * pixels stay crisp at 16x16.
 */
public final class GenerateLogos {

    private static final Color CLIENT = new Color(0x1F, 0x6F, 0xB5);
    private static final Color LINK = new Color(0x55, 0x55, 0x55);
    private static final Color SERVER = new Color(0xE0, 0x7B, 0x00);

    public static void main(String[] args) throws IOException {
        final File dir = new File(args.length > 0 ? args[0] : ".");
        write(draw(16), new File(dir, "logo_small.gif"));
        write(draw(32), new File(dir, "logo_large.gif"));
    }

    private static BufferedImage draw(int size) {
        // Index 0 is transparent; the others are the three drawing colours.
        final byte[] r = {0, (byte) CLIENT.getRed(), (byte) LINK.getRed(), (byte) SERVER.getRed()};
        final byte[] g = {0, (byte) CLIENT.getGreen(), (byte) LINK.getGreen(), (byte) SERVER.getGreen()};
        final byte[] b = {0, (byte) CLIENT.getBlue(), (byte) LINK.getBlue(), (byte) SERVER.getBlue()};
        final IndexColorModel palette = new IndexColorModel(2, 4, r, g, b, 0);
        final BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY, palette);

        final Graphics2D gfx = image.createGraphics();
        try {
            // Designed on a 16x16 grid; the large logo is the same drawing at twice the scale.
            gfx.scale(size / 16.0, size / 16.0);
            // Each client's line runs to the merge point; one link continues to the server.
            gfx.setColor(LINK);
            final int[] clientTops = {2, 7, 12};
            for (int top : clientTops) {
                drawLine(gfx, 3, top + 1, 8, 8);
            }
            gfx.fillRect(8, 8, 4, 1);
            gfx.setColor(CLIENT);
            for (int top : clientTops) {
                gfx.fillRect(0, top, 3, 3);
            }
            gfx.setColor(SERVER);
            gfx.fillRect(12, 4, 4, 9);
        } finally {
            gfx.dispose();
        }
        return image;
    }

    /** One-pixel line on the design grid, stepped so every column gets exactly one pixel. */
    private static void drawLine(Graphics2D gfx, int x0, int y0, int x1, int y1) {
        final int steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
        for (int i = 0; i <= steps; i++) {
            gfx.fillRect(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps, 1, 1);
        }
    }

    private static void write(BufferedImage image, File file) throws IOException {
        if (!ImageIO.write(image, "gif", file)) {
            throw new IOException("no GIF writer available");
        }
    }
}
