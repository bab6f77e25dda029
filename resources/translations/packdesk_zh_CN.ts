<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <source>Cannot do that</source>
        <translation>无法执行</translation>
    </message>
    <message>
        <source>Packdesk ran into a bug</source>
        <translation>Packdesk 出现了程序错误</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. Your saved work is safe; what you were doing just now may not have been saved.</source>
        <translation>发生了意外错误。已保存的工作是安全的；刚才的操作可能没有保存。</translation>
    </message>
    <message>
        <source>The details are in the log file:
{path}
Please send it with a bug report.</source>
        <translation>详细信息在日志文件中：
{path}
请在报告问题时附上该文件。</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Packdesk - first start</source>
        <translation>Packdesk - 首次启动</translation>
    </message>
    <message>
        <source>This database has no users yet. Create the administrator account: choose a user name and a password of at least 8 characters. Keep it safe; there is no default password.</source>
        <translation>此数据库还没有用户。请创建管理员账号：设置用户名和至少 8 个字符的密码。请妥善保管；系统没有默认密码。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <source>The two passwords are not the same. Type them again.</source>
        <translation>两次输入的密码不一致，请重新输入。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Packdesk - log in</source>
        <translation>Packdesk - 登录</translation>
    </message>
    <message>
        <source>Who is working here?</source>
        <translation>谁在这里工作？</translation>
    </message>
    <message>
        <source>Station {station} - {database}</source>
        <translation>工作站 {station} - {database}</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Scan your badge</source>
        <translation>扫描您的工牌</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Badge and PIN</source>
        <translation>工牌和 PIN</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Packdesk</source>
        <translation>Packdesk</translation>
    </message>
    <message>
        <source>Station: {station}</source>
        <translation>工作站：{station}</translation>
    </message>
    <message>
        <source>User: {user} ({role})</source>
        <translation>用户：{user}（{role}）</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Shared database</source>
        <translation>共享数据库</translation>
    </message>
    <message>
        <source>Local database</source>
        <translation>本地数据库</translation>
    </message>
    <message>
        <source>{kind}: {where} - connected</source>
        <translation>{kind}：{where} - 已连接</translation>
    </message>
    <message>
        <source>{kind}: {where} - NOT CONNECTED, retrying</source>
        <translation>{kind}：{where} - 未连接，正在重试</translation>
    </message>
</context>
<context>
    <name>OrderDetailDialog</name>
    <message>
        <source>Show personal data</source>
        <translation>显示个人信息</translation>
    </message>
    <message>
        <source>Shows the full name, phone and address. This is recorded in the audit log.</source>
        <translation>显示完整的姓名、电话和地址。此操作会记录在审计日志中。</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>订单 {number}</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Channel order id</source>
        <translation>渠道订单号</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>收货地址</translation>
    </message>
    <message>
        <source>No address</source>
        <translation>无地址</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <source>Personal data is partly hidden.</source>
        <translation>个人信息已部分隐藏。</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Backordered</source>
        <translation>缺货待发</translation>
    </message>
    <message>
        <source>Hold reasons</source>
        <translation>挂起原因</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Status history</source>
        <translation>状态历史</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Search: order number, channel order id or phone</source>
        <translation>搜索：订单号、渠道订单号或电话</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>{count} orders</source>
        <translation>{count} 个订单</translation>
    </message>
</context>
<context>
    <name>OrdersTableModel</name>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Hold reasons</source>
        <translation>挂起原因</translation>
    </message>
</context>
<context>
    <name>PackdeskError</name>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN 码为 4 到 8 位数字。</translation>
    </message>
    <message>
        <source>A badge needs both the badge code and a PIN.</source>
        <translation>工牌需要同时设置工牌码和 PIN 码。</translation>
    </message>
    <message>
        <source>A user name is 1 to 64 characters without spaces.</source>
        <translation>用户名为 1 到 64 个字符，不能有空格。</translation>
    </message>
    <message>
        <source>An administrator already exists. Log in with that account.</source>
        <translation>管理员账号已存在，请用该账号登录。</translation>
    </message>
    <message>
        <source>CANCEL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CONFIRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot reach the database ({where}): {reason}. Check the network or the database server, then try again; nothing was saved in the meantime.</source>
        <translation>无法连接数据库（{where}）：{reason}。请检查网络或数据库服务器后重试；此期间没有保存任何内容。</translation>
    </message>
    <message>
        <source>Cannot reserve {qty} of {sku} at {location}: only {free} is free ({on_hand} on hand, {reserved} already reserved).</source>
        <translation>无法在 {location} 预留 {qty} 件 {sku}：可用仅 {free} 件（在库 {on_hand}，已预留 {reserved}）。</translation>
    </message>
    <message>
        <source>Each tracking pattern is a carrier name and a pattern.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NEXT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not enough stock of {sku}: {wanted} wanted, {available} available. Check the location or count the stock again.</source>
        <translation>{sku} 库存不足：需要 {wanted}，可用 {available}。请检查库位或重新盘点。</translation>
    </message>
    <message>
        <source>Only the quantity command carries a number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order {order} cannot go from {current} to {target}.</source>
        <translation>订单 {order} 不能从 {current} 变为 {target}。</translation>
    </message>
    <message>
        <source>QTY</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>REPRINT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Someone else changed this record at the same time. Reload it and try again; nothing was saved.</source>
        <translation>其他人同时修改了这条记录。请刷新后重试；本次没有保存任何内容。</translation>
    </message>
    <message>
        <source>The account {user} is disabled. Ask a supervisor to enable it.</source>
        <translation>账号 {user} 已停用。请联系主管启用。</translation>
    </message>
    <message>
        <source>The barcode {code} belongs to more than one thing here ({what}). Ask a supervisor to give each one its own barcode.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database was created by a newer Packdesk (schema {found}, this program knows up to {known}). Update Packdesk on this station before using this database.</source>
        <translation>该数据库由更新版本的 Packdesk 创建（结构版本 {found}，本程序最高支持 {known}）。请先在本工作站升级 Packdesk 再使用此数据库。</translation>
    </message>
    <message>
        <source>The password must have at least 8 characters.</source>
        <translation>密码至少需要 8 个字符。</translation>
    </message>
    <message>
        <source>The scan patterns setting is malformed; reset it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This GS1 barcode is damaged or wrongly encoded: {detail} Scan it again; if it keeps failing, the label must be reprinted.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This badge belongs to another user.</source>
        <translation>此工牌属于其他用户。</translation>
    </message>
    <message>
        <source>This badge or PIN is not valid. Scan your badge again and type your PIN.</source>
        <translation>工牌或 PIN 码无效。请重新扫描工牌并输入 PIN 码。</translation>
    </message>
    <message>
        <source>This movement would leave {sku} at {location} below zero ({on_hand} on hand, change {delta}). Count the location before moving stock.</source>
        <translation>此操作会使 {location} 的 {sku} 库存低于零（在库 {on_hand}，变动 {delta}）。请先盘点该库位再移动库存。</translation>
    </message>
    <message>
        <source>This password is too easy to guess. Choose another one.</source>
        <translation>密码太容易被猜到，请换一个。</translation>
    </message>
    <message>
        <source>This scan could not be read: {detail} Scan the barcode again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown barcode {code}. It is not a product, location, tote or order here.</source>
        <translation>未知条码 {code}。它不是本仓的商品、库位、周转箱或订单。</translation>
    </message>
    <message>
        <source>Unknown product: GTIN {gtin} is not a barcode of any product here. Put the item aside and tell a supervisor.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wrong item: {code} is not in this order. Put it aside and scan the next item.</source>
        <translation>错误商品：{code} 不在此订单中。请放到一边，扫描下一件商品。</translation>
    </message>
    <message>
        <source>Wrong user name or password. Check them and try again.</source>
        <translation>用户名或密码错误。请检查后重试。</translation>
    </message>
    <message>
        <source>adjust stock</source>
        <translation>调整库存</translation>
    </message>
    <message>
        <source>allocate stock</source>
        <translation>分配库存</translation>
    </message>
    <message>
        <source>cancel orders</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>change settings</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>change station devices</source>
        <translation>修改工作站设备</translation>
    </message>
    <message>
        <source>edit orders</source>
        <translation>编辑订单</translation>
    </message>
    <message>
        <source>handle returns</source>
        <translation>处理退货</translation>
    </message>
    <message>
        <source>import orders</source>
        <translation>导入订单</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <source>pack</source>
        <translation>打包</translation>
    </message>
    <message>
        <source>pick</source>
        <translation>拣货</translation>
    </message>
    <message>
        <source>release or hold orders</source>
        <translation>放行或挂起订单</translation>
    </message>
    <message>
        <source>reprint labels</source>
        <translation>重打标签</translation>
    </message>
    <message>
        <source>see customers' personal data</source>
        <translation>查看客户个人信息</translation>
    </message>
    <message>
        <source>ship parcels</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>the scan was empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>view orders</source>
        <translation>查看订单</translation>
    </message>
    <message>
        <source>{user} ({role}) may not {action}. Ask a supervisor.</source>
        <translation>{user}（{role}）无权{action}。请联系主管。</translation>
    </message>
    <message>
        <source>{what} {key} was not found.</source>
        <translation>未找到{what} {key}。</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>New</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已放行</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>Picking</source>
        <translation>拣货中</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>打包中</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>已打包</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退货</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Picker</source>
        <translation>拣货员</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <source>Shipper</source>
        <translation>发货员</translation>
    </message>
    <message>
        <source>Returns clerk</source>
        <translation>退货专员</translation>
    </message>
</context>
</TS>