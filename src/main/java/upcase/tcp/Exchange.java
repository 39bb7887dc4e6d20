package upcase.tcp;

import upcase.text.LineFeeds;

/**
 * What the client's two threads know of each other: how many lines went out, how many replies
 * came back, and whether the sender is done. Guarded by this object's monitor.
 */
final class Exchange {
    private long linesSent;
    private long repliesReceived;
    private boolean sendingDone;
    private boolean endsWithLineFeed = true;
    private boolean receivingDone;
    private String sendFailure;

    synchronized void sent(byte[] buf, int from, int to) {
        linesSent += LineFeeds.count(buf, from, to);
        endsWithLineFeed = buf[to - 1] == '\n';
    }

    synchronized void lineSent() {
        linesSent++;
        endsWithLineFeed = true;
    }

    synchronized void received(long lineFeeds) {
        repliesReceived += lineFeeds;
        notifyAll();
    }

    synchronized void sendingDone(String failure) {
        sendingDone = true;
        sendFailure = failure;
        notifyAll();
    }

    synchronized void receivingDone() {
        receivingDone = true;
        notifyAll();
    }

    /** Every line sent has its reply, and no more will be sent: the client may stop without waiting for the server to close. */
    synchronized boolean complete() {
        return sendingDone && sendFailure == null && endsWithLineFeed && repliesReceived >= linesSent;
    }

    /** Whether the server owes a reply, so that silence is a failure rather than a person thinking. */
    synchronized boolean replyOwed() {
        return sendingDone || repliesReceived < linesSent;
    }

    synchronized long unanswered() {
        return Math.max(0, linesSent - repliesReceived);
    }

    synchronized boolean sendingDone() {
        return sendingDone;
    }

    synchronized String sendFailure() {
        return sendFailure;
    }

    /** Waits up to {@code timeout} for the sender to finish; returns whether it has. */
    synchronized boolean awaitSendingDone(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sendingDone) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Interactive sender: waits until the last line has its reply, or the receiver gave up. */
    synchronized boolean awaitReplies() throws InterruptedException {
        while (repliesReceived < linesSent && !receivingDone) {
            wait();
        }
        return !receivingDone;
    }
}
